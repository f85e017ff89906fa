import type { OpenAPIObject } from '@nestjs/swagger';
import { createTestApp } from './test-app.js';

/** The OpenAPI document exactly as the app serves it at /docs-json (the real AppModule, on a throwaway SQLite file). */
export async function openApiDocument(): Promise<OpenAPIObject> {
  const t = await createTestApp();
  try {
    const res = await t.app.getHttpAdapter().getInstance().inject({ method: 'GET', url: '/docs-json' });
    if (res.statusCode !== 200) throw new Error(`/docs-json answered ${res.statusCode}`);
    return res.json<OpenAPIObject>();
  } finally {
    await t.close();
  }
}
