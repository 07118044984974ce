import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { renderInvoiceHtml } from '../../activities/invoice-html';
import { renderDocumentPdf } from '../../api/invoice-pdf';
import { ConfigError, configFromEnv } from '../../infra/config';
import { DEMO_SELLER, MAX_LOGO_BYTES, sellerFromEnv } from '../../infra/seller';
import { documentFor } from '../support/invoicing/documents';
import { navyPng } from '../support/invoicing/logo';

describe("the seller's logo (VIGIL_SELLER_LOGO)", () => {
  let dir: string;
  const file = (name: string, bytes: Buffer) => {
    const at = path.join(dir, name);
    writeFileSync(at, bytes);
    return at;
  };
  const start = (logo: string) => () =>
    configFromEnv({ DATABASE_URL: 'postgres://localhost/vigil', VIGIL_SELLER_LOGO: logo });

  beforeAll(() => {
    dir = mkdtempSync(path.join(tmpdir(), 'vigil-logo-'));
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('is read once at start, a PNG or a JPEG, and is optional', () => {
    const png = navyPng();
    expect(
      configFromEnv({ DATABASE_URL: 'postgres://localhost/vigil', VIGIL_SELLER_LOGO: file('logo.png', png) }).seller,
    ).toEqual({ ...DEMO_SELLER, logo: { mediaType: 'image/png', data: png.toString('base64') } });
    // A JPEG's start of image, an APP0 segment, then its frame header (SOF0).
    const jpeg = Buffer.from([
      0xff, 0xd8, 0xff, 0xe0, 0x00, 0x04, 0x00, 0x00, 0xff, 0xc0, 0x00, 0x0b, 0x08, 0x00, 0x10, 0x00, 0x20, 0x01, 0x01,
      0x11, 0x00, 0xff, 0xd9,
    ]);
    expect(sellerFromEnv({ VIGIL_SELLER_LOGO: file('logo.jpg', jpeg) }).logo?.mediaType).toBe('image/jpeg');
    expect(sellerFromEnv({}).logo).toBeUndefined();
    expect(sellerFromEnv({ VIGIL_SELLER_LOGO: '  ' }).logo).toBeUndefined();
  });

  it.each([
    [
      'a file that is not there',
      () => path.join(dir, 'missing.png'),
      /^VIGIL_SELLER_LOGO cannot be read: .*missing\.png \(ENOENT\)$/,
    ],
    ['a directory', () => dir, /^VIGIL_SELLER_LOGO cannot be read: .* \(EISDIR\)$/],
    [
      'text',
      () => file('logo.svg', Buffer.from('<svg xmlns="http://www.w3.org/2000/svg"/>')),
      /^VIGIL_SELLER_LOGO must be a PNG or JPEG image, and .*logo\.svg is neither$/,
    ],
    [
      'a PNG cut after its signature',
      () => file('cut.png', navyPng().subarray(0, 12)),
      /^VIGIL_SELLER_LOGO must be a PNG or JPEG image/,
    ],
    [
      'an image too large to keep with every invoice',
      () => file('big.png', Buffer.concat([navyPng(), Buffer.alloc(MAX_LOGO_BYTES)])),
      /^VIGIL_SELLER_LOGO is \d+ bytes, more than 262144/,
    ],
  ])('stops the start on %s, naming the variable', (_, logo, message) => {
    expect(start(logo())).toThrow(ConfigError);
    expect(start(logo())).toThrow(message);
  });

  it('heads the HTML as an inline image and the PDF as an embedded one; an invoice without a logo has neither', async () => {
    const png = navyPng();
    const withLogo = documentFor('FR', 'fr');
    withLogo.seller = { ...withLogo.seller, logo: { mediaType: 'image/png', data: png.toString('base64') } };
    const html = renderInvoiceHtml(withLogo);
    expect(html).toContain(
      `<img class="logo" alt="Vigil Demo Desk S.à r.l." src="data:image/png;base64,${png.toString('base64')}">`,
    );
    expect(html.indexOf('<img')).toBeLessThan(html.indexOf('<header>'));
    expect(renderInvoiceHtml(documentFor('FR', 'fr'))).not.toContain('<img');
    const pdf = (await renderDocumentPdf(withLogo)).toString('latin1');
    expect(pdf).toMatch(/\/Subtype \/Image[\s\S]*\/Width 320[\s\S]*\/Height 96|\/Width 320[\s\S]*\/Subtype \/Image/);
    expect((await renderDocumentPdf(documentFor('FR', 'fr'))).toString('latin1')).not.toContain('/Subtype /Image');
  });
});
