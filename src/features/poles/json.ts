import type { PoleDetail, PoleListItem } from './queries.ts';
import type { PoleOutput } from './schemas.ts';

/** A pôle as the API returns it (see `poleOutput`); members only for a single pôle. */
export function poleJson(pole: PoleDetail | PoleListItem): PoleOutput {
  return {
    id: pole.id,
    slug: pole.slug,
    name: pole.name,
    description: pole.description,
    communeCode: pole.communeCode,
    commune: { code: pole.communeCode, name: pole.communeName, departement: pole.departement },
    departement: pole.departement,
    region: pole.region,
    departements: pole.departements,
    themes: pole.themes,
    status: pole.status,
    ...('members' in pole
      ? {
          members: pole.members.map((m) => ({
            organisationId: m.organisationId,
            name: m.name,
            kind: m.kind,
            communeCode: m.communeCode,
            communeName: m.communeName,
            role: m.role,
            status: m.status,
          })),
        }
      : {}),
    composition: pole.composition,
    ...('distanceKm' in pole && pole.distanceKm !== undefined ? { distanceKm: pole.distanceKm } : {}),
    version: pole.version,
    isDemo: pole.isDemo,
    createdAt: pole.createdAt,
    updatedAt: pole.updatedAt,
  };
}
