import { and, asc, eq, lt, sql } from 'drizzle-orm';
import type { Db } from '../../db/client.ts';
import { amiApplications, amiEvents, amiWaves, organisations } from '../../db/schema.ts';
import type { AmiStatus } from '../ami/workflow.ts';
import { type QueueViewer, queueWhere } from './queue.ts';

export interface Dashboard {
  byStatus: Array<{ status: AmiStatus; n: number }>;
  byRegion: Array<{ region: string; n: number }>;
  byWave: Array<{ waveId: number | null; name: string | null; n: number }>;
  /** Median days from the first submit to the decision, over decided dossiers in scope (null: none). */
  medianDaysToDecision: number | null;
  decidedCount: number;
  /** Every wave's envelope and what its selected dossiers were granted (national figures). */
  budgets: Array<{ id: number; name: string; envelope: number; granted: number; selected: number }>;
  overdue: Array<{
    id: number;
    reference: string | null;
    projectName: string;
    leadName: string;
    changesDueAt: string;
  }>;
}

/** The dashboard's figures for a viewer's scope (regional instructors: their régions), in one batch. */
export async function loadDashboard(db: Db, viewer: QueueViewer, now: Date): Promise<Dashboard> {
  const scope = queueWhere(viewer, {}, now);
  // The decision's time minus the first submit's, from the audit trail (the dossier's own columns
  // would do too, but the events are the record of what happened and when). Correlated columns are
  // spelled out: drizzle leaves a single-table query's columns unqualified, which inside a subquery
  // would name the subquery's own table.
  const durations = db
    .select({
      days: sql<number>`julianday(${amiApplications.decidedAt}) - julianday((SELECT MIN(${amiEvents.at}) FROM ${amiEvents}
        WHERE ami_events.application_id = ami_applications.id AND ami_events.to_status = 'submitted'))`,
    })
    .from(amiApplications)
    .where(and(scope, sql`${amiApplications.status} IN ('ineligible', 'selected', 'rejected')`))
    .orderBy(sql`1`);
  const [byStatus, byRegion, byWave, days, budgets, overdue] = await db.batch([
    db
      .select({ status: amiApplications.status, n: sql<number>`count(*)` })
      .from(amiApplications)
      .where(scope)
      .groupBy(amiApplications.status),
    db
      .select({ region: amiApplications.region, n: sql<number>`count(*)` })
      .from(amiApplications)
      .where(scope)
      .groupBy(amiApplications.region)
      .orderBy(sql`2 DESC`),
    db
      .select({ waveId: amiApplications.waveId, name: amiWaves.name, n: sql<number>`count(*)` })
      .from(amiApplications)
      .leftJoin(amiWaves, eq(amiWaves.id, amiApplications.waveId))
      .where(scope)
      .groupBy(amiApplications.waveId)
      .orderBy(sql`${amiWaves.opensOn} DESC`),
    durations,
    db
      .select({
        id: amiWaves.id,
        name: amiWaves.name,
        envelope: amiWaves.envelope,
        granted: sql<number>`COALESCE((SELECT SUM(${amiApplications.amountGranted}) FROM ${amiApplications}
          WHERE ami_applications.wave_id = ami_waves.id AND ami_applications.status = 'selected'), 0)`,
        selected: sql<number>`(SELECT COUNT(*) FROM ${amiApplications}
          WHERE ami_applications.wave_id = ami_waves.id AND ami_applications.status = 'selected')`,
      })
      .from(amiWaves)
      .orderBy(sql`${amiWaves.opensOn} DESC`),
    db
      .select({
        id: amiApplications.id,
        reference: amiApplications.reference,
        projectName: amiApplications.projectName,
        leadName: organisations.name,
        changesDueAt: sql<string>`${amiApplications.changesDueAt}`,
      })
      .from(amiApplications)
      .innerJoin(organisations, eq(organisations.id, amiApplications.leadOrganisationId))
      .where(
        and(
          scope,
          eq(amiApplications.status, 'changes_requested'),
          lt(amiApplications.changesDueAt, now.toISOString()),
        ),
      )
      .orderBy(asc(amiApplications.changesDueAt))
      .limit(100),
  ]);
  const sorted = days
    .filter((d) => d.days !== null)
    .map((d) => Number(d.days))
    .filter((d) => Number.isFinite(d))
    .sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  const median =
    sorted.length === 0 ? null : sorted.length % 2 ? sorted[mid]! : (sorted[mid - 1]! + sorted[mid]!) / 2;
  return {
    byStatus: byStatus.map((r) => ({ status: r.status, n: Number(r.n) })),
    byRegion: byRegion.map((r) => ({ region: r.region, n: Number(r.n) })),
    byWave: byWave.map((r) => ({ waveId: r.waveId, name: r.name, n: Number(r.n) })),
    medianDaysToDecision: median,
    decidedCount: sorted.length,
    budgets: budgets.map((b) => ({ ...b, granted: Number(b.granted), selected: Number(b.selected) })),
    overdue,
  };
}
