import type { GatewayClient } from "../../gateway/types.js";
import type { Logger } from "../../logger.js";
import type { Store } from "../../store/port.js";
import type { WorkspaceDirectory } from "../../store/workspaces.js";
import type { Admission } from "../../usecases/admission.js";
import type { ActionRunner } from "../../usecases/run-action.js";
import type { Deliverer } from "../deliver.js";

/** What every listener may use. Listeners get it passed in; nothing is a module singleton. */
export interface ListenerDeps {
  logger: Logger;
  runAction: ActionRunner;
  /** Asked before an action is acknowledged: under overload it is refused in the ack. */
  admission: Admission;
  workspaces: WorkspaceDirectory;
  store: Store;
  gateway: GatewayClient;
  deliver: Deliverer;
}
