import { readFileSync } from 'node:fs';
import { Controller, Get, Header, Param, Res } from '@nestjs/common';
import { ApiExcludeController } from '@nestjs/swagger';
import type { FastifyReply } from 'fastify';
import { Public } from '../auth/decorators/public.decorator.js';
import { ApiException } from '../common/api-exception.js';

const PAGES_DIR = new URL('./pages/', import.meta.url);

/** The files this controller serves, by the name in the URL; nothing else under /account is answered. */
const FILES: Record<string, string> = {
  'verify-email': 'verify-email.html',
  'reset-password': 'reset-password.html',
  'confirm-email-change': 'confirm-email-change.html',
  'account.js': 'account.js',
  'page.css': 'page.css',
};

const CONTENT_TYPES: Record<string, string> = {
  html: 'text/html; charset=utf-8',
  js: 'text/javascript; charset=utf-8',
  css: 'text/css; charset=utf-8',
};

/**
 * The small pages account mails link to (ACCOUNT_LINK_BASE_URL, by default this service's /account), usable
 * without any other frontend: plain forms and one same-origin script, so the default CSP holds. The link's token is
 * in the URL fragment, so it reaches neither these requests nor their logs.
 */
@ApiExcludeController()
@Public()
@Controller('account')
export class AccountPagesController {
  private readonly files = new Map(
    Object.entries(FILES).map(([name, file]) => [name, { body: readFileSync(new URL(file, PAGES_DIR)), type: CONTENT_TYPES[file.split('.').pop()!] }]),
  );

  @Get(':name')
  @Header('cache-control', 'no-cache')
  @Header('referrer-policy', 'no-referrer')
  page(@Param('name') name: string, @Res() reply: FastifyReply): void {
    const file = Object.hasOwn(FILES, name) ? this.files.get(name) : undefined;
    if (!file) throw new ApiException('not_found');
    void reply.type(file.type).send(file.body);
  }
}
