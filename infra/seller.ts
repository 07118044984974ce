/**
 * The desk's identity on its invoices (the seller, EN 16931 BG-4), read from VIGIL_SELLER_* at start: the API and the
 * worker refuse to start on a wrong value, naming the variable, rather than issue an invoice a customer cannot pay.
 *
 * With no VIGIL_SELLER_NAME at all, a demo desk in Luxembourg stands in, so `npm run dev` and the tests issue
 * complete invoices; a desk sets the variables before issuing real ones. Once VIGIL_SELLER_NAME is set, every other
 * required variable must be too.
 */
import { readFileSync } from 'node:fs';
import { COUNTRY_CODE, isMemberState } from '../domain/invoicing/countries';
import type { Seller, SellerLogo } from '../domain/invoicing/parties';
import { checkVatNumber } from '../domain/invoicing/vat-number';

export class SellerConfigError extends Error {}

export const DEMO_SELLER: Seller = {
  name: 'Vigil Demo Desk S.à r.l.',
  street: '12 rue de la Gare',
  postalCode: 'L-1611',
  city: 'Luxembourg',
  country: 'LU',
  // LU check digits: 150274 mod 89 = 42.
  vatNumber: 'LU15027442',
  companyNumber: 'RCS Luxembourg B123456',
  iban: 'LU280019400644750000',
  bic: 'BCEELULL',
  paymentDays: 30,
  email: 'billing@vigil.localhost',
};

// ISO 13616: country, two check digits, up to 30 letters and digits; the check digits are the whole, rearranged, mod 97 = 1.
export function isIban(iban: string): boolean {
  if (!/^[A-Z]{2}\d{2}[A-Z0-9]{11,30}$/.test(iban)) return false;
  const digits = [...(iban.slice(4) + iban.slice(0, 4))]
    .map((char) => (/\d/.test(char) ? char : String(char.charCodeAt(0) - 55)))
    .join('');
  return BigInt(digits) % 97n === 1n;
}

/** Every invoice keeps the logo it was issued with (invoices.document): a page's worth, not a poster. */
export const MAX_LOGO_BYTES = 256 * 1024;

const PNG_SIGNATURE = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);

/** PNG: the signature, then an IHDR chunk with a width and height; JPEG: a start-of-image marker, then a frame header. */
function imageType(bytes: Buffer): SellerLogo['mediaType'] | null {
  if (bytes.length >= 24 && bytes.subarray(0, 8).equals(PNG_SIGNATURE) && bytes.toString('latin1', 12, 16) === 'IHDR') {
    return bytes.readUInt32BE(16) > 0 && bytes.readUInt32BE(20) > 0 ? 'image/png' : null;
  }
  if (bytes.length >= 4 && bytes[0] === 0xff && bytes[1] === 0xd8 && bytes[2] === 0xff) {
    // A baseline or progressive frame (SOF0 to SOF2) somewhere after: the marker pdfkit reads the size from.
    for (let at = 2; at + 1 < bytes.length; at += 1)
      if (bytes[at] === 0xff && bytes[at + 1]! >= 0xc0 && bytes[at + 1]! <= 0xc2) return 'image/jpeg';
  }
  return null;
}

/** VIGIL_SELLER_LOGO: a PNG or JPEG file, read once at start; none when unset. */
export function sellerLogoFromEnv(env: NodeJS.ProcessEnv = process.env): SellerLogo | undefined {
  const file = env.VIGIL_SELLER_LOGO?.trim();
  if (!file) return undefined;
  let bytes: Buffer;
  try {
    bytes = readFileSync(file);
  } catch (error) {
    throw new SellerConfigError(
      `VIGIL_SELLER_LOGO cannot be read: ${file} (${(error as NodeJS.ErrnoException).code ?? String(error)})`,
    );
  }
  if (bytes.length > MAX_LOGO_BYTES)
    throw new SellerConfigError(
      `VIGIL_SELLER_LOGO is ${bytes.length} bytes, more than ${MAX_LOGO_BYTES}: every invoice keeps a copy (${file})`,
    );
  const mediaType = imageType(bytes);
  if (!mediaType) throw new SellerConfigError(`VIGIL_SELLER_LOGO must be a PNG or JPEG image, and ${file} is neither`);
  return { mediaType, data: bytes.toString('base64') };
}

export function sellerFromEnv(env: NodeJS.ProcessEnv = process.env): Seller {
  const logo = sellerLogoFromEnv(env);
  if (!env.VIGIL_SELLER_NAME) return logo ? { ...DEMO_SELLER, logo } : DEMO_SELLER;
  const required = (name: string): string => {
    const value = env[name]?.trim();
    if (!value)
      throw new SellerConfigError(
        `${name} is not set: it is required once VIGIL_SELLER_NAME is (the desk's identity on its invoices)`,
      );
    return value;
  };
  const country = required('VIGIL_SELLER_COUNTRY').toUpperCase();
  if (!COUNTRY_CODE.test(country) || !isMemberState(country))
    throw new SellerConfigError(
      `VIGIL_SELLER_COUNTRY must be the ISO code of an EU member state (e.g. LU), got '${country}'`,
    );
  const vat = checkVatNumber(required('VIGIL_SELLER_VAT_NUMBER'), country);
  if (!vat.ok) throw new SellerConfigError(`VIGIL_SELLER_VAT_NUMBER: ${vat.problem}`);
  const iban = required('VIGIL_SELLER_IBAN').replace(/\s/g, '').toUpperCase();
  if (!isIban(iban))
    throw new SellerConfigError(`VIGIL_SELLER_IBAN is not an IBAN (its check digits fail), got '${iban}'`);
  const bic = required('VIGIL_SELLER_BIC').toUpperCase();
  if (!/^[A-Z]{6}[A-Z0-9]{2}([A-Z0-9]{3})?$/.test(bic))
    throw new SellerConfigError(`VIGIL_SELLER_BIC must be 8 or 11 letters and digits, got '${bic}'`);
  const days = env.VIGIL_SELLER_PAYMENT_DAYS?.trim() || '30';
  if (!/^\d{1,3}$/.test(days) || Number(days) > 180)
    throw new SellerConfigError(`VIGIL_SELLER_PAYMENT_DAYS must be whole days from 0 to 180, got '${days}'`);
  const email = env.VIGIL_SELLER_EMAIL?.trim();
  return {
    name: required('VIGIL_SELLER_NAME'),
    street: required('VIGIL_SELLER_STREET'),
    postalCode: required('VIGIL_SELLER_POSTAL_CODE'),
    city: required('VIGIL_SELLER_CITY'),
    country,
    vatNumber: vat.vatNumber,
    companyNumber: required('VIGIL_SELLER_COMPANY_NUMBER'),
    iban,
    bic,
    paymentDays: Number(days),
    ...(email ? { email } : {}),
    ...(logo ? { logo } : {}),
  };
}
