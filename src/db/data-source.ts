import 'reflect-metadata';
import type { Pool } from 'pg';
import { DataSource } from 'typeorm';
import { Cadre } from './entities/cadre.entity.js';
import { CaseEvent } from './entities/case-event.entity.js';
import { Case } from './entities/case.entity.js';
import { InboundMessage } from './entities/inbound-message.entity.js';
import { OutboundMessage } from './entities/outbound-message.entity.js';
import { Resident } from './entities/resident.entity.js';
import { Initial1764140000000 } from './migrations/1764140000000-initial.js';
import { CaseLoop1764150000000 } from './migrations/1764150000000-case-loop.js';
import { Bookings1764160000000 } from './migrations/1764160000000-bookings.js';
import { ResidentPace1764180000000 } from './migrations/1764180000000-resident-pace.js';
import { HotPaths1764190000000 } from './migrations/1764190000000-hot-paths.js';
import { RelayedResidents1764200000000 } from './migrations/1764200000000-relayed-residents.js';
import { LimitsDue1764210000000 } from './migrations/1764210000000-limits-due.js';
import { RelayOrder1764220000000 } from './migrations/1764220000000-relay-order.js';
import { QuietHours1764230000000 } from './migrations/1764230000000-quiet-hours.js';
import { HeldMedia1764240000000 } from './migrations/1764240000000-held-media.js';
import { CadreLeaves1764250000000 } from './migrations/1764250000000-cadre-leaves.js';
import { UnsatisfiedKept1764270000000 } from './migrations/1764270000000-unsatisfied-kept.js';
import { CadreRatings1764280000000 } from './migrations/1764280000000-cadre-ratings.js';
import { CaseLists1764290000000 } from './migrations/1764290000000-case-lists.js';
import { BookingWords1764300000000 } from './migrations/1764300000000-booking-words.js';
import { Statistics1764170000000 } from './migrations/1764170000000-statistics.js';
import { Booking } from './entities/booking.entity.js';
import { BindCode } from './entities/bind-code.entity.js';
import { SlaAlert } from './entities/sla-alert.entity.js';

export const entities = [Resident, Cadre, InboundMessage, Case, CaseEvent, OutboundMessage, BindCode, SlaAlert, Booking];
export const migrations = [
  Initial1764140000000,
  CaseLoop1764150000000,
  Bookings1764160000000,
  Statistics1764170000000,
  ResidentPace1764180000000,
  HotPaths1764190000000,
  RelayedResidents1764200000000,
  LimitsDue1764210000000,
  RelayOrder1764220000000,
  QuietHours1764230000000,
  HeldMedia1764240000000,
  CadreLeaves1764250000000,
  UnsatisfiedKept1764270000000,
  CadreRatings1764280000000,
  CaseLists1764290000000,
  BookingWords1764300000000,
];

export interface DatabaseOptions {
  url: string;
  /** Connections in the pool. The embedded database serves one: pass 1. Default 10. */
  poolSize?: number;
}

/** The one TypeORM data source of a process. Schema only through migrations. */
export function createDataSource({ url, poolSize = 10 }: DatabaseOptions): DataSource {
  return new DataSource({
    type: 'postgres',
    url,
    entities,
    migrations,
    synchronize: false,
    migrationsRun: false,
    logging: false,
    poolSize,
    extra: { max: poolSize, connectionTimeoutMillis: 10_000 },
  });
}

/** Connects and brings the schema up to date. */
export async function openDataSource(options: DatabaseOptions): Promise<DataSource> {
  const dataSource = createDataSource(options);
  await dataSource.initialize();
  // The pool hands a new connection over as it reads the connection's "ready", and TypeORM
  // listens for its errors only a moment later: a "terminating connection" read with it (Postgres
  // restarting) would be an error event with no listener, which ends the process. Listened to
  // here for the connection's whole life; whatever uses it next fails and is retried.
  (dataSource.driver as unknown as { master: Pool }).master.on('connect', (client) => client.on('error', () => {}));
  try {
    await dataSource.runMigrations({ transaction: 'each' });
  } catch (error) {
    await dataSource.destroy();
    throw error;
  }
  return dataSource;
}
