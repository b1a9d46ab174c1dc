// `npm run bench -- <area>`: one script per area, each printing a table against a reference run.
const areas: Record<string, () => Promise<{ run(): Promise<void> }>> = {
  collab: () => import('./collab/index'),
  edge: () => import('./edge/index'),
  exec: () => import('./exec/index'),
  registry: () => import('./registry/index'),
};

async function main() {
  const requested = process.argv.slice(2).filter((a) => !a.startsWith('-'));
  const unknown = requested.filter((a) => !(a in areas));
  if (unknown.length) {
    console.error(`unknown bench area(s): ${unknown.join(', ')}; choose from: ${Object.keys(areas).join(', ')}`);
    process.exit(2);
  }
  for (const area of requested.length ? requested : Object.keys(areas)) {
    console.log(`\n### bench: ${area}`);
    const mod = await areas[area]!().catch((e: unknown) => {
      console.error(`bench ${area} is not available: ${(e as Error).message}`);
      return null;
    });
    if (mod) await mod.run();
  }
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
