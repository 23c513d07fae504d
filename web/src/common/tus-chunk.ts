/**
 * Bytes per tus PATCH from the dashboard: Flai's direct-upload chunk (README "Uploads"), so a
 * dropped request costs at most one chunk, and each request to a Flai dataset carries one whole
 * vendor chunk.
 */
export const TUS_CHUNK_BYTES = 8_000_000;
