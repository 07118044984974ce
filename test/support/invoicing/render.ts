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
  /** The first page's text as PDFBox extracts it from the drawn page, one printed line per line. */
  text: string;
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
      execFile(
        'java',
        ['-Djava.awt.headless=true', '-cp', mustangJar(), RENDER, input, output, String(dpi)],
        (error, out, err) => (error ? reject(new Error(`${error.message}\n${err}`)) : resolve(out)),
      ),
    );
    const [size = '', bands = '', ...text] = stdout.split('\n');
    const [pages, width, height] = size.split(' ').map(Number) as [number, number, number];
    return {
      pages,
      width,
      height,
      ink: bands.split(' ').map(Number),
      text: text.join('\n'),
      png: readFileSync(output),
    };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

const escaped = (word: string) => word.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

/**
 * Whether the page's text says `phrase`, its words in order. A description too long for its column wraps: the rest of
 * its row (time, rate, amount) ends the first line and the phrase goes on at the start of the next, so between two
 * words may come a line break after at most a row's ten figures and units. Nothing else.
 */
export function pageSays(text: string, phrase: string): boolean {
  const between = '(?:[ \\t]+|(?:[ \\t]+\\S+){0,10}[ \\t]*\\n[ \\t]*)';
  return new RegExp(phrase.trim().split(/\s+/).map(escaped).join(between)).test(text);
}
