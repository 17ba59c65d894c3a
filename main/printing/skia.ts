/**
 * The one door to Skia (@napi-rs/canvas) for the station: every module that draws imports it from here (eslint
 * enforces it), so the addon is loaded once, with the allocator settings below already in place.
 *
 * Why the settings: the addon's Rust side allocates with mimalloc, which reserves a 1 GiB arena and marks it for
 * transparent huge pages (`madvise(MADV_HUGEPAGE)`). Every `getImageData` returns fresh memory from that arena
 * (about 350 kB for a name line), so every few reads one lands on an untouched 2 MB page, and the kernel faults in
 * and zeroes a whole huge page before the copy goes on: 25–70 ms of system time inside the call on the build machine
 * (a Firecracker VM, where fresh guest memory is slow to touch), about one read in six, whatever is drawn: that was
 * `badge.render`'s p99 (bench/README.md). Without huge pages the same reads fault 4 kB pages, about 0.1 ms each.
 *
 * mimalloc reads its options once, when the addon loads, so they go into the environment first and the addon is
 * required after: a static `import` would be hoisted above this (and in the Electron bundle, where npm packages
 * stay external, above every bundled line). A setting already in the environment is left as it is.
 */
import { createRequire } from 'node:module';
import type * as Skia from '@napi-rs/canvas';

process.env.MIMALLOC_ALLOW_THP ??= '0';

const skia = createRequire(import.meta.url)('@napi-rs/canvas') as typeof Skia;

export const { createCanvas, GlobalFonts } = skia;
export const Image = skia.Image;
export type Image = Skia.Image;
export type { Canvas, SKRSContext2D } from '@napi-rs/canvas';
