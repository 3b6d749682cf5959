/**
 * The console's pages, in navigation order. A new page is one file under pages/ plus one line here (`nav: true`
 * puts it in the top navigation), e.g. the what-if page: `{ path: "/what-if", title: "What-if", nav: true,
 * component: WhatIfPage }`.
 */
import type { FunctionComponent } from "preact";
import { AutomationsPage } from "./pages/automations.js";
import { DeliveriesPage } from "./pages/deliveries.js";
import { EventPage } from "./pages/event.js";
import { EventsPage } from "./pages/events.js";
import { ResourcePage } from "./pages/resource.js";
import { WhatIfPage } from "./pages/what-if.js";

export interface Page {
  path: string;
  title: string;
  nav?: boolean;
  component: FunctionComponent<{ params: Record<string, string> }>;
}

export const PAGES: readonly Page[] = [
  { path: "/events", title: "Events", nav: true, component: EventsPage },
  { path: "/events/:id", title: "Event", component: EventPage },
  { path: "/resources/:id", title: "Resource timeline", component: ResourcePage },
  { path: "/automations", title: "Automations", nav: true, component: AutomationsPage },
  { path: "/deliveries", title: "Deliveries", nav: true, component: DeliveriesPage },
  { path: "/what-if", title: "What-if", nav: true, component: WhatIfPage },
];
