import { benchGraphRequests } from '../test/bench/graph-requests.js';

/**
 * `npm run bench`: prints figures, asserts nothing. Speed targets live here, never in tests.
 * `npm run bench -- --quick` uses smaller data for a smoke run.
 */
const quick = process.argv.includes('--quick');

async function main(): Promise<void> {
  const started = Date.now();
  console.log(`\nGraph requests per operation, SharePoint store on the stand-in (${quick ? 500 : 5000} actions)`);
  console.table(await benchGraphRequests(quick ? 500 : 5000));
  console.log(`bench finished in ${((Date.now() - started) / 1000).toFixed(1)} s`);
}

await main();
