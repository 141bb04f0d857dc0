// Types of serve.mjs for the tests (TypeScript).
export declare const DIST: string;
export declare function serveSite(port?: number): Promise<{ origin: string; close: () => Promise<void> }>;
