import type { Config } from '../../config.js';
import type { ResultsLinks } from '../../links/results-links.js';
import type { Logger } from '../../observability/logger.js';
import type { UpstreamHttp } from '../http/upstream-http.js';

/** What one vendor's service gets: its client (seen through the caller's budget and credential) and the app-wide pieces. Holds no per-user state. */
export interface VendorDeps {
  config: Config;
  http: UpstreamHttp;
  links: ResultsLinks;
  /** The process's log, for what the vendor sent that an operator should hear of (absent where a test builds a service by hand). */
  log?: Logger;
}
