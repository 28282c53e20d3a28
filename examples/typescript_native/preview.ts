// `pulumi preview` of the program through the Automation API, inline: the Node.js SDK serves the
// language-host protocol itself, so no `pulumi-language-nodejs` binary is needed (the Go module
// proxy does not serve it). The project is this directory's Pulumi.yaml. Stack config comes from PREVIEW_CONFIG (a JSON object of
// key -> value; `bandwidth:password`, `bandwidth:apiSecret` and `bandwidth:apiToken` are set as
// secrets); the backend and passphrase from the usual PULUMI_* variables.
import * as path from "path";
import { LocalWorkspace } from "@pulumi/pulumi/automation";
import { hostedMessaging } from "./program";

const SECRET = new Set(["bandwidth:password", "bandwidth:apiSecret", "bandwidth:apiToken"]);

async function main(): Promise<void> {
    const stackName = process.env.PREVIEW_STACK ?? "dev";
    const stack = await LocalWorkspace.createOrSelectStack(
        { stackName, projectName: "bw-typescript-native", program: async () => hostedMessaging() },
        // This directory's Pulumi.yaml: its `plugins: providers:` finds the plugin (the
        // Automation API's ProjectSettings type has no `plugins`).
        { workDir: path.resolve(__dirname, "..") },
    );
    const config = JSON.parse(process.env.PREVIEW_CONFIG ?? "{}") as Record<string, string>;
    for (const [key, value] of Object.entries(config)) {
        await stack.setConfig(key, { value, secret: SECRET.has(key) });
    }
    const result = await stack.preview({ onOutput: (line) => process.stdout.write(line) });
    console.log(`\nchangeSummary: ${JSON.stringify(result.changeSummary)}`);
}

main().catch((err) => {
    console.error(err);
    process.exit(1);
});
