export interface ToolPaths {
  cacheDir: string;
  temporalCliVersion: string;
  temporalCli: string;
  temporalServerVersion: string;
  temporalServer: string;
  temporalSqlTool: string;
  temporalUiServerVersion: string;
  temporalUiServer: string;
  testServerVersion: string;
  testServerClasspath: string;
  testServerLauncher: string;
  mailpitVersion: string;
  mailpit: string;
  greenmailVersion: string;
  greenmailJar: string;
}
export function toolPaths(): ToolPaths;
