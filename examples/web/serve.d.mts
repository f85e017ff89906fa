export interface DemoServer {
  url: string;
  setApiUrl(url: string): void;
  close(): Promise<void>;
}
export function startDemoServer(options?: { port?: number; host?: string; apiUrl?: string }): Promise<DemoServer>;
