import { execFile } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { mustangJar } from '../../../scripts/mustang';

export interface RenderedPage {
  pages: number;
  width: number;
  height: number;
  /** Dark pixels per mille in each twentieth of the first page, top to bottom. */
  ink: number[];
  png: Buffer;
}

const RENDER = path.join(__dirname, '..', '..', '..', 'tools', 'mustang', 'RenderPage.java');

/** The PDF's first page as a person sees it, drawn by PDFBox (tools/mustang/RenderPage.java) at `dpi`. */
export async function renderFirstPage(pdf: Buffer, dpi = 80): Promise<RenderedPage> {
  const dir = mkdtempSync(path.join(tmpdir(), 'vigil-render-'));
  try {
    const input = path.join(dir, 'in.pdf');
    const output = path.join(dir, 'out.png');
    writeFileSync(input, pdf);
    const stdout = await new Promise<string>((resolve, reject) =>
      execFile('java', ['-Djava.awt.headless=true', '-cp', mustangJar(), RENDER, input, output, String(dpi)], (error, out, err) => (error ? reject(new Error(`${error.message}\n${err}`)) : resolve(out))),
    );
    const [size = '', bands = ''] = stdout.trim().split('\n');
    const [pages, width, height] = size.split(' ').map(Number) as [number, number, number];
    return { pages, width, height, ink: bands.split(' ').map(Number), png: readFileSync(output) };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
