// Placeholder contract; the hardened renderer replaces this file.
export interface TemplateProblem {
  message: string;
  /** 1-based line/column inside the template string, when known */
  line?: number;
  col?: number;
}
export function isTemplate(value: string): boolean {
  return value.includes("{{") || value.includes("{%");
}
export function checkTemplate(_source: string): TemplateProblem[] {
  return [];
}
