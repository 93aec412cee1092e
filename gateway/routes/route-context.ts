import type { GatewayLimits } from '../../contracts/gateway';
import type { GatewayClient } from '../gateway-client';
import type { Guard } from '../http/guard';
import type { TenantLimiter } from '../limits/tenant-limiter';

// One object for what the route modules share, so adding a dependency touches no signature.

/** What every route module is given. */
export interface RouteContext {
  client: GatewayClient;
  limits: GatewayLimits;
  limiter: TenantLimiter;
  guard: Guard;
}
