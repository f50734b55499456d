// Runs graphql-http's audit of the GraphQL-over-HTTP specification against a running server
// and fails when any MUST item fails. Usage: node audit.mjs http://127.0.0.1:8080/graphql
import { auditServer } from 'graphql-http';

const url = process.argv[2] ?? process.env.HEATSHIELD_AUDIT_URL;
if (!url) {
  console.error('usage: node audit.mjs <graphql url>');
  process.exit(2);
}

const results = await auditServer({ url });
const counts = { ok: 0, notice: 0, warn: 0, error: 0 };
for (const result of results) {
  counts[result.status] += 1;
  if (result.status !== 'ok') {
    let detail = '';
    try {
      detail = JSON.stringify(await result.response.text?.() ?? '');
    } catch {
      detail = '';
    }
    console.log(`${result.status.toUpperCase()}  ${result.name}\n       ${result.reason}${detail ? `\n       response: ${detail.slice(0, 300)}` : ''}`);
  }
}
console.log(
  `graphql-http audit: ${counts.ok} passed, ${counts.notice} MAY notices, ${counts.warn} SHOULD warnings, ${counts.error} MUST failures (of ${results.length})`,
);
process.exit(counts.error > 0 ? 1 : 0);
