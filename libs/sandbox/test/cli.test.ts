/**
 * `pnpm sandbox` as a user runs it: prints where each stand-in listens and the stand-ins' own test
 * credentials, never a secret the user set, on the ports asked for (0 = the system's choice), and
 * stops on SIGTERM.
 */
import { startScript, waitFor } from '@gassistant/test-support';
import t from 'tap';

t.test('prints the stand-ins, never the secrets you set yourself', async (t) => {
  const sandbox = startScript('libs/sandbox/src/cli.ts', {
    META_APP_SECRET: 'my-own-app-s3cret',
    SLACK_BOT_TOKEN: 'xoxb-my-own-t0ken',
    SANDBOX_ODOO_PORT: '0',
    SANDBOX_GRAPH_PORT: '0',
    SANDBOX_SLACK_PORT: '0',
  });
  t.teardown(() => void sandbox.child.kill('SIGKILL'));
  await waitFor(() => sandbox.stdout().includes('SLACK_API_URL=') || sandbox.child.exitCode !== null, 'the sandbox to start', 60_000);
  const printed = sandbox.stdout();
  t.match(printed, /ODOO_URL=http:\/\/127\.0\.0\.1:\d+ /, 'where Odoo listens');
  t.match(printed, 'META_APP_SECRET=(yours)');
  t.match(printed, 'SLACK_BOT_TOKEN=(yours)');
  t.notMatch(printed, 'my-own-app-s3cret', 'your app secret is not printed');
  t.notMatch(printed, 'xoxb-my-own-t0ken', 'your Slack token is not printed');
  sandbox.child.kill('SIGTERM');
  t.equal(await sandbox.exited, 0);
});

t.test('without secrets of your own, the stand-ins\' test values are printed to copy', async (t) => {
  const sandbox = startScript('libs/sandbox/src/cli.ts', { META_APP_SECRET: undefined, SLACK_BOT_TOKEN: undefined, SANDBOX_ODOO_PORT: '0', SANDBOX_GRAPH_PORT: '0', SANDBOX_SLACK_PORT: '0' });
  t.teardown(() => void sandbox.child.kill('SIGKILL'));
  await waitFor(() => sandbox.stdout().includes('SLACK_API_URL=') || sandbox.child.exitCode !== null, 'the sandbox to start', 60_000);
  t.match(sandbox.stdout(), 'META_APP_SECRET=test-app-secret');
  t.match(sandbox.stdout(), 'SLACK_BOT_TOKEN=xoxb-sandbox-token');
  sandbox.child.kill('SIGTERM');
  t.equal(await sandbox.exited, 0);
});
