#!/usr/bin/env node
// Entry point of the `mixtape` CLI. The sources are TypeScript run directly by Node's
// type stripping (on by default since Node 22.18), so there is no build step.
const [major, minor] = process.versions.node.split('.').map(Number);
if (major < 22 || (major === 22 && minor < 18)) {
  console.error(`mixtape needs Node >= 22.18 (this is ${process.version}). Run it through npm (npx mixtape ...), which uses the Node that npm install put in node_modules, or install Node 22 LTS.`);
  process.exit(1);
}
const { main } = await import('../src/cli/main.ts');
process.exitCode = await main(process.argv.slice(2));
