// `pulumi up` with `runtime: nodejs` (needs Pulumi's Node.js language host beside the CLI).
import { hostedMessaging } from "./program";

const outputs = hostedMessaging();
export const applicationId = outputs.applicationId;
export const importedNumbers = outputs.importedNumbers;
export const numberIds = outputs.numberIds;
