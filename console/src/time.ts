/**
 * How the console shows a moment: the browser's locale and time zone, with the zone named ("12/8/2026, 12:20:50 AM
 * UTC"), so a time on the page can be matched with the UTC ISO times of the JSON and the API beside it.
 */
export const localTime = (iso: string | number | Date): string => new Date(iso).toLocaleString(undefined, { timeZoneName: "short" });

/** the time of day only, zone named ("12:35:50 AM UTC"): for moments within a day of now */
export const localClock = (iso: string | number | Date): string => new Date(iso).toLocaleTimeString(undefined, { timeZoneName: "short" });
