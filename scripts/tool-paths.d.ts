export interface ToolPaths {
  cacheDir: string;
  temporalCliVersion: string;
  temporalCli: string;
  testServerVersion: string;
  testServerClasspath: string;
  testServerLauncher: string;
}
export function toolPaths(): ToolPaths;
