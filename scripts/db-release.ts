/**
 * `npm run db:release`: marks every committed migration as released by adding
 * those not yet listed to migrations/released.json (see db/CONVENTIONS.md).
 * Released migrations are frozen; tests/db/released-migrations.test.ts holds
 * them to their recorded name and bytes. Refuses when the committed folder
 * already fails that check.
 */
import { MIGRATIONS_DIR } from "../db/paths.js";
import { release, releasedPath } from "../db/released-migrations.js";

try {
  const added = release(MIGRATIONS_DIR);
  if (added.length === 0) {
    console.log(`Nothing to release: every committed migration is already in ${releasedPath(MIGRATIONS_DIR)}.`);
  } else {
    console.log(`Released (added to ${releasedPath(MIGRATIONS_DIR)}):`);
    for (const m of added) console.log(`  ${m.file}  ${m.hash}`);
  }
} catch (e) {
  console.error(e instanceof Error ? e.message : e);
  process.exit(1);
}
