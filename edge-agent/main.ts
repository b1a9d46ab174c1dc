import { Agent } from './agent';
import { enroll, EnrollmentError, loadCredential } from './enroll/credential';
import { AgentConfigError, parseAgentConfig } from './env';

// `npm run agent -- --server URL --enroll TOKEN`: the edge agent's one entry.

async function main() {
  const config = parseAgentConfig(process.argv.slice(2));
  let credential = loadCredential(config.dataDir);
  if (!credential) {
    if (!config.enroll)
      throw new AgentConfigError(`this device is not enrolled yet (no credential in ${config.dataDir}): pass --enroll TOKEN`);
    credential = await enroll(config.server, config.dataDir, config.enroll, config.name);
    console.log(`enrolled as device ${credential.deviceId}; credential stored in ${config.dataDir}/credential.json (mode 0600)`);
  }
  const agent = new Agent(config, credential);
  await agent.start();
  const shutdown = () => void agent.stop().then(() => process.exit(0));
  process.on('SIGINT', shutdown);
  process.on('SIGTERM', shutdown);
}

main().catch((error: unknown) => {
  const expected = error instanceof AgentConfigError || error instanceof EnrollmentError;
  console.error(`agent: ${error instanceof Error ? error.message : String(error)}`);
  process.exit(expected ? 2 : 1);
});
