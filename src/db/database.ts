import type { DataSource, EntityManager } from 'typeorm';
import { BookingRepository } from './repositories/booking.repository.js';
import { CadreRepository } from './repositories/cadre.repository.js';
import { CaseRepository } from './repositories/case.repository.js';
import { InboundMessageRepository } from './repositories/inbound-message.repository.js';
import { LeaveRepository } from './repositories/leave.repository.js';
import { OutboxRepository } from './repositories/outbox.repository.js';
import { ResidentRepository } from './repositories/resident.repository.js';

/** The repositories, bound to one connection or one transaction. */
export class Repositories {
  readonly residents: ResidentRepository;
  readonly cadres: CadreRepository;
  readonly inbound: InboundMessageRepository;
  readonly cases: CaseRepository;
  readonly outbox: OutboxRepository;
  readonly bookings: BookingRepository;
  readonly leaves: LeaveRepository;

  constructor(readonly manager: EntityManager) {
    this.residents = new ResidentRepository(manager);
    this.cadres = new CadreRepository(manager);
    this.inbound = new InboundMessageRepository(manager);
    this.cases = new CaseRepository(manager);
    this.outbox = new OutboxRepository(manager);
    this.bookings = new BookingRepository(manager);
    this.leaves = new LeaveRepository(manager);
  }
}

/** Services see this, never TypeORM itself. */
export class Database extends Repositories {
  constructor(readonly dataSource: DataSource) {
    super(dataSource.manager);
  }

  transaction<T>(work: (tx: Repositories) => Promise<T>): Promise<T> {
    return this.dataSource.transaction((manager) => work(new Repositories(manager)));
  }

  /** Whether Postgres answers now: a failure that persists while it does is no outage. */
  async answers(): Promise<boolean> {
    try {
      await this.dataSource.query('SELECT 1');
      return true;
    } catch {
      return false;
    }
  }
}
