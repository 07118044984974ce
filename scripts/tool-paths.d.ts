export interface ToolPaths {
  cacheDir: string;
  temporalCliVersion: string;
  temporalCli: string;
  testServerVersion: string;
  testServerClasspath: string;
  testServerLauncher: string;
  mailpitVersion: string;
  mailpit: string;
  greenmailVersion: string;
  greenmailJar: string;
}
export function toolPaths(): ToolPaths;
