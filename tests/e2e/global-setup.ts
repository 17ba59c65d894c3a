/** Before any test: the renderer the e2e tests open is built (only when missing or older than its sources). */
import { ensureRenderer } from '../../main/web/renderer-build';

export default async function setup(): Promise<void> {
  await ensureRenderer((l) => console.log(l));
}
