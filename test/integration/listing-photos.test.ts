import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { eq } from 'drizzle-orm';
import { afterAll, afterEach, beforeEach, describe, expect, it } from 'vitest';
import { listingPhotos } from '../../src/db/schema.ts';
import { demoPhoto } from '../../src/features/demo/photos.ts';
import { IMAGE_REFUSALS } from '../../src/features/listings/images.ts';
import { PHOTO_MESSAGES } from '../../src/features/listings/photos.ts';
import { createTestApp, ORIGIN, seedTemplate, type TestApp } from '../support/app.ts';
import { createSignedInUser } from '../support/auth.ts';
import { addMember, createOrganisation } from '../support/fixtures.ts';
import { createListing } from '../support/listings.ts';

const fixture = (name: string) =>
  new Uint8Array(readFileSync(join(import.meta.dirname, '..', 'fixtures', 'photos', name)));
const JPEG = fixture('gps.jpg');
const WEBP = fixture('small.webp');
const PNG = demoPhoto('premises', 1).body;

const seeded = await seedTemplate(async (t) => {
  const member = await createSignedInUser(t);
  const other = await createSignedInUser(t);
  const staff = await createSignedInUser(t, { role: 'admin' });
  const org = await createOrganisation(t, { owner: member });
  const otherOrg = await createOrganisation(t, { owner: other });
  const published = await createListing(t, org.id, { userId: member.id, title: 'Camion partagé' });
  const draft = await createListing(t, org.id, { userId: member.id, status: 'draft', title: 'Brouillon' });
  void addMember;
  return { member, other, staff, org, otherOrg, published: published.id, draft: draft.id };
});
const { world } = seeded;
afterAll(() => seeded.remove());

let t: TestApp;
beforeEach(async () => {
  t = await createTestApp({ template: seeded.template });
});
afterEach(() => t.close());

function multipart(fields: Record<string, Uint8Array | string>, name = 'photo.jpg', type = 'image/jpeg') {
  const form = new FormData();
  for (const [key, value] of Object.entries(fields))
    form.append(
      key,
      typeof value === 'string' ? value : new File([value as Uint8Array<ArrayBuffer>], name, { type }),
    );
  return form;
}

const apiUpload = (
  listingId: number,
  auth: string | null,
  fields: Record<string, Uint8Array | string>,
  name?: string,
) =>
  t.app.request(`/api/v1/listings/${listingId}/photos`, {
    method: 'POST',
    body: multipart(fields, name),
    // Without credentials, the request says where it comes from (else the same-origin rule refuses it).
    headers: auth ? { authorization: auth } : { origin: ORIGIN },
  });

const pageUpload = (listingId: number, cookie: string | null, fields: Record<string, Uint8Array | string>) =>
  t.app.request(`/annonces/${listingId}/photos`, {
    method: 'POST',
    body: multipart(fields),
    headers: { origin: ORIGIN, ...(cookie ? { cookie } : {}) },
  });

const storedFiles = () => {
  try {
    return readdirSync(t.filesFolder, { recursive: true, withFileTypes: true }).filter((e) => e.isFile())
      .length;
  } catch {
    return 0;
  }
};
const photoRows = async (listingId: number) =>
  t.db.select().from(listingPhotos).where(eq(listingPhotos.listingId, listingId));

async function expectNothingStored(listingId: number) {
  expect(await photoRows(listingId)).toEqual([]);
  expect(storedFiles()).toBe(0);
}

describe('POST /api/v1/listings/:id/photos', () => {
  it.each([
    ['JPEG', JPEG, 'image/jpeg', 96, 64],
    ['PNG', PNG, 'image/png', 480, 320],
    ['WebP', WEBP, 'image/webp', 96, 64],
  ])(
    'accepts a %s: 201 with its type from the content, dimensions, alt defaulting to the title',
    async (_, body, type, width, height) => {
      // The name says nothing: the type is read from the bytes.
      const res = await apiUpload(world.published, world.member.bearer, { file: body }, 'image.bin');
      expect(res.status).toBe(201);
      const photo = await res.json();
      expect(photo).toMatchObject({ contentType: type, width, height, alt: 'Camion partagé' });
      expect(photo.url).toBe(`/annonces/${world.published}/photos/${photo.id}`);
      expect(storedFiles()).toBe(1);
      const served = await t.app.request(photo.url);
      expect(served.status).toBe(200);
      expect(served.headers.get('content-type')).toBe(type);
      expect(served.headers.get('x-content-type-options')).toBe('nosniff');
      expect(served.headers.get('cache-control')).toBe('public, max-age=604800');
    },
  );

  const EXECUTABLE = new Uint8Array([
    0x4d,
    0x5a,
    0x90,
    0,
    3,
    0,
    0,
    0,
    4,
    0,
    0,
    0,
    0xff,
    0xff,
    0,
    0,
    ...new Uint8Array(200),
  ]);
  const ELF = new Uint8Array([0x7f, 0x45, 0x4c, 0x46, 2, 1, 1, 0, ...new Uint8Array(100)]);
  const SVG = new TextEncoder().encode(
    '<?xml version="1.0"?><svg xmlns="http://www.w3.org/2000/svg"><script>alert(1)</script></svg>',
  );
  const TRUNCATED_JPEG = JPEG.subarray(0, 40);
  const GIF = new TextEncoder().encode('GIF89a\x01\x00\x01\x00\x00\x00\x00;');
  it.each([
    ['a Windows executable renamed .jpg', EXECUTABLE, IMAGE_REFUSALS.type],
    ['an ELF executable renamed .jpg', ELF, IMAGE_REFUSALS.type],
    ['an SVG with a script', SVG, IMAGE_REFUSALS.svg],
    ['a truncated JPEG', TRUNCATED_JPEG, IMAGE_REFUSALS.unreadable],
    ['a GIF', GIF, IMAGE_REFUSALS.type],
    ['an empty file', new Uint8Array(0), IMAGE_REFUSALS.empty],
  ])('refuses %s with 422, a French message, and stores nothing', async (_, body, message) => {
    const res = await apiUpload(world.published, world.member.bearer, { file: body }, 'photo.jpg');
    expect(res.status).toBe(422);
    const { error } = await res.json();
    expect(error.fields.file).toBe(message);
    await expectNothingStored(world.published);
  });

  it('refuses a missing file field and a bad alt (422)', async () => {
    let res = await apiUpload(world.published, world.member.bearer, { alt: 'x' });
    expect(res.status).toBe(422);
    expect((await res.json()).error.fields.file).toBeTruthy();
    res = await apiUpload(world.published, world.member.bearer, { file: JPEG, alt: 'a\u0000b' });
    expect(res.status).toBe(422);
    expect((await res.json()).error.fields.alt).toBeTruthy();
    await expectNothingStored(world.published);
  });

  it('refuses a 20 MB image with 413 and its own message, storing nothing', async () => {
    const big = new Uint8Array(20 * 1024 * 1024);
    big.set(JPEG.subarray(0, 200));
    const res = await apiUpload(world.published, world.member.bearer, { file: big });
    expect(res.status).toBe(413);
    expect((await res.json()).error.message).toBe(IMAGE_REFUSALS.tooLarge);
    await expectNothingStored(world.published);
  });

  it('refuses an image just over 5 Mo that fits the body limit with 422', async () => {
    const big = new Uint8Array(5 * 1024 * 1024 + 10);
    big.set(JPEG);
    const res = await apiUpload(world.published, world.member.bearer, { file: big });
    expect(res.status).toBe(422);
    expect((await res.json()).error.fields.file).toBe(IMAGE_REFUSALS.tooLarge);
    await expectNothingStored(world.published);
  });

  it('other bodies keep the global 1 Mio limit', async () => {
    const res = await t.app.request('/api/v1/organisations', {
      method: 'POST',
      body: 'x'.repeat(2 * 1024 * 1024),
      headers: { authorization: world.member.bearer, 'content-type': 'application/json' },
    });
    expect(res.status).toBe(413);
  });

  it('removes the EXIF GPS of a JPEG; the image keeps its dimensions and compressed data', async () => {
    // The fixture holds a GPS IFD (tag 0x8825) and a camera make.
    const gpsTag = (b: Uint8Array) =>
      Buffer.from(b).includes(Buffer.from([0x88, 0x25])) ||
      Buffer.from(b).includes(Buffer.from([0x25, 0x88]));
    expect(gpsTag(JPEG)).toBe(true);
    expect(Buffer.from(JPEG).includes(Buffer.from('TestCam'))).toBe(true);
    const res = await apiUpload(world.published, world.member.bearer, { file: JPEG });
    const photo = await res.json();
    const served = new Uint8Array(await (await t.app.request(photo.url)).arrayBuffer());
    expect(Buffer.from(served).includes(Buffer.from('Exif'))).toBe(false);
    expect(Buffer.from(served).includes(Buffer.from('GPS'))).toBe(false);
    expect(Buffer.from(served).includes(Buffer.from('TestCam'))).toBe(false);
    expect(served.length).toBeLessThan(JPEG.length);
    expect([served[0], served[1]]).toEqual([0xff, 0xd8]);
    // The scan (from SOS to the end) is byte for byte the original's: it decodes to the same pixels.
    const sos = (b: Uint8Array) => Buffer.from(b).indexOf(Buffer.from([0xff, 0xda]));
    expect(Buffer.from(served.subarray(sos(served))).equals(Buffer.from(JPEG.subarray(sos(JPEG))))).toBe(
      true,
    );
    expect(photo).toMatchObject({ width: 96, height: 64 });
  });

  it('never makes a fifth photo, even from parallel uploads', async () => {
    const results = await Promise.all(
      Array.from({ length: 8 }, () => apiUpload(world.published, world.member.bearer, { file: PNG })),
    );
    const statuses = results.map((r) => r.status).sort();
    expect(statuses).toEqual([201, 201, 201, 201, 409, 409, 409, 409]);
    const refused = await results.find((r) => r.status === 409)!.json();
    expect(refused.error.message).toBe(PHOTO_MESSAGES.full);
    expect(await photoRows(world.published)).toHaveLength(4);
    expect(storedFiles()).toBe(4);
    const fifth = await apiUpload(world.published, world.member.bearer, { file: PNG });
    expect(fifth.status).toBe(409);
    expect(storedFiles()).toBe(4);
  });
});

describe('rights on every photo route', () => {
  async function photoOf(listingId: number) {
    const res = await apiUpload(listingId, world.member.bearer, { file: PNG });
    expect(res.status).toBe(201);
    return (await res.json()) as { id: number; url: string };
  }
  const who = () =>
    ({
      anonymous: null,
      member: world.member,
      'other organisation': world.other,
      staff: world.staff,
    }) as const;
  const cases = [
    // who, upload/delete status (API), GET of a public listing's photo, GET of a draft's photo
    ['anonymous', 401, 200, 404],
    ['member', 201, 200, 200],
    ['other organisation', 403, 200, 404],
    ['staff', 403, 200, 200],
  ] as const;

  it.each(cases)(
    '%s: API upload %i, public photo %i, draft photo %i',
    async (name, upload, publicGet, draftGet) => {
      const user = who()[name];
      const res = await apiUpload(world.published, user?.bearer ?? null, { file: PNG });
      expect(res.status).toBe(upload);
      const pub = await photoOf(world.published);
      const draft = await photoOf(world.draft);
      const headers: Record<string, string> = user ? { cookie: user.cookie } : {};
      expect((await t.app.request(pub.url, { headers })).status).toBe(publicGet);
      const draftRes = await t.app.request(draft.url, { headers });
      expect(draftRes.status).toBe(draftGet);
      if (draftGet === 200)
        expect(draftRes.headers.get('cache-control')).toBe('private, max-age=0, must-revalidate');
      // Even for a signed-in viewer, the public photo stays publicly cacheable.
      expect((await t.app.request(pub.url, { headers })).headers.get('cache-control')).toBe(
        'public, max-age=604800',
      );
    },
  );

  it.each(cases)('%s: page upload and removal', async (name, upload) => {
    const user = who()[name];
    const pub = await photoOf(world.published);
    const pageStatus = upload === 201 ? 303 : upload === 401 ? 401 : 403;
    const res = await pageUpload(world.published, user?.cookie ?? null, { file: PNG, alt: 'Le camion' });
    expect(res.status === 401 ? 401 : res.status).toBe(pageStatus);
    const del = await t.app.request(`/annonces/${world.published}/photos/${pub.id}/supprimer`, {
      method: 'POST',
      headers: { origin: ORIGIN, ...(user ? { cookie: user.cookie } : {}) },
    });
    expect(del.status).toBe(pageStatus);
  });

  it.each(cases)('%s: API delete', async (name, upload) => {
    const user = who()[name];
    const pub = await photoOf(world.published);
    const res = await t.app.request(`/api/v1/listings/${world.published}/photos/${pub.id}`, {
      method: 'DELETE',
      headers: user ? { authorization: user.bearer } : { origin: ORIGIN },
    });
    expect(res.status).toBe(upload === 201 ? 204 : upload);
  });

  it('a draft of another organisation is a 404 (not revealed), an unknown listing too', async () => {
    expect((await apiUpload(world.draft, world.other.bearer, { file: PNG })).status).toBe(404);
    expect((await apiUpload(999_999, world.member.bearer, { file: PNG })).status).toBe(404);
    expect((await apiUpload(world.published, world.other.bearer, { file: PNG })).status).toBe(403);
    await expectNothingStored(world.published);
    expect((await t.app.request('/annonces/abc/photos/1')).status).toBe(404);
    expect((await t.app.request(`/annonces/${world.published}/photos/999`)).status).toBe(404);
  });
});

describe('serving and deleting', () => {
  it('answers 304 to its ETag; deleting removes the row and the file', async () => {
    const photo = await (await apiUpload(world.published, world.member.bearer, { file: WEBP })).json();
    const first = await t.app.request(photo.url);
    const etag = first.headers.get('etag')!;
    expect(etag).toMatch(/^"[0-9a-f]{32}"$/);
    const again = await t.app.request(photo.url, { headers: { 'if-none-match': etag } });
    expect(again.status).toBe(304);
    const del = await t.app.request(`/api/v1/listings/${world.published}/photos/${photo.id}`, {
      method: 'DELETE',
      headers: { authorization: world.member.bearer },
    });
    expect(del.status).toBe(204);
    await expectNothingStored(world.published);
    expect((await t.app.request(photo.url)).status).toBe(404);
  });

  it('a photo id of another listing is a 404', async () => {
    const photo = await (await apiUpload(world.draft, world.member.bearer, { file: PNG })).json();
    expect((await t.app.request(`/annonces/${world.published}/photos/${photo.id}`)).status).toBe(404);
    const del = await t.app.request(`/api/v1/listings/${world.published}/photos/${photo.id}`, {
      method: 'DELETE',
      headers: { authorization: world.member.bearer },
    });
    expect(del.status).toBe(404);
  });
});

describe('page form', () => {
  it('adds a photo and redirects to the edit page', async () => {
    const res = await pageUpload(world.published, world.member.cookie, {
      file: JPEG,
      alt: 'Le camion, vu de côté',
    });
    expect(res.status).toBe(303);
    expect(res.headers.get('location')).toBe(`/annonces/${world.published}/modifier?avis=photo-ajoutee`);
    const [row] = await photoRows(world.published);
    expect(row?.alt).toBe('Le camion, vu de côté');
  });

  it('re-renders the photos page with messages for a bad file and a missing description', async () => {
    const res = await pageUpload(world.published, world.member.cookie, {
      file: new TextEncoder().encode('MZ not an image'),
      alt: '',
    });
    expect(res.status).toBe(422);
    const html = await res.text();
    expect(html).toContain('Erreur — Photos de l’annonce');
    expect(html).toContain(IMAGE_REFUSALS.type.replaceAll('’', '’'));
    expect(html).toContain('Décrivez la photo');
    expect(html).toContain('JPEG, PNG ou WebP, 5 Mo au plus, 4 photos au plus');
    await expectNothingStored(world.published);
  });

  it('a 20 MB image gives 413 and the photos page with the message', async () => {
    const big = new Uint8Array(20 * 1024 * 1024);
    const res = await pageUpload(world.published, world.member.cookie, { file: big, alt: 'x' });
    expect(res.status).toBe(413);
    expect(await res.text()).toContain('L’image dépasse 5 Mo');
    await expectNothingStored(world.published);
  });

  it('the photos page lists photos with remove buttons, and hides the form at four', async () => {
    for (let i = 0; i < 4; i++) await apiUpload(world.published, world.member.bearer, { file: PNG });
    const res = await t.app.request(`/annonces/${world.published}/photos`, {
      headers: { cookie: world.member.cookie },
    });
    expect(res.status).toBe(200);
    const html = await res.text();
    expect(html.match(/\/supprimer"/g)).toHaveLength(4);
    expect(html).not.toContain('type="file"');
    expect(html).toMatch(/<img[^>]+width="480"[^>]+height="320"/);
  });
});
