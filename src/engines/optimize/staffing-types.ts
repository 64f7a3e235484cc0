import type { SolveOptions } from './highs-runtime.js';
import type {
  ConstraintReport,
  InfeasibilityExplanation,
  PlanIssue,
  SolveReport,
} from './plan-types.js';

/** One person who can be scheduled. */
export interface StaffMember {
  id: string;
  name?: string;
  /** Roles this person can fill; everyone can fill the role `any` (default: only `any`). */
  skills?: readonly string[];
  /** Cost per hour worked. Missing or non-finite: the person is excluded and flagged. */
  hourlyCost?: number;
  /** Contracted minimum hours in the week (default 0). */
  minHours?: number;
  /** Most hours in the week (default 40). */
  maxHours?: number;
  /** Longest shift for this person (default: the input's `maxShiftHours`). */
  maxShiftHours?: number;
  /** Most days worked in the week (default 6). */
  maxDays?: number;
  /**
   * When the person can work: windows of clock hours per day (`to` exclusive). Omitted:
   * available whenever the business is open.
   */
  availability?: ReadonlyArray<{ day: number; from: number; to: number }>;
}

/** How many people with a role are needed each open hour. */
export interface StaffRequirement {
  /** Role (default `any`: anybody counts). */
  skill?: string;
  /** `required[day][hour - openHour]`: people needed in that hour. */
  required: ReadonlyArray<ReadonlyArray<number>>;
}

/** A shift shape: start clock hour and length in hours. */
export interface ShiftPattern {
  start: number;
  hours: number;
}

/** The weekly staffing problem. */
export interface StaffingInput {
  staff: readonly StaffMember[];
  requirements: readonly StaffRequirement[];
  /** Days to plan (default 7). */
  days?: number;
  /** First open clock hour (default 6). */
  openHour?: number;
  /** Closing clock hour, exclusive (default 22). */
  closeHour?: number;
  /** Allowed shifts; default: every start hour and every length from `minShiftHours` to `maxShiftHours` in steps of `shiftLengthStep`. */
  shiftPatterns?: readonly ShiftPattern[];
  /** Shortest shift (default 4). */
  minShiftHours?: number;
  /** Longest shift (default 8). */
  maxShiftHours?: number;
  /** Step between generated shift lengths in hours (default 2: 4, 6, 8 h). */
  shiftLengthStep?: number;
  /** Step between generated shift start hours (default 1: a shift may start any hour). */
  shiftStartStep?: number;
  /** Hours off between the end of one shift and the start of the next (default 11). */
  minRestHours?: number;
  /** Most to spend on wages in the week. */
  laborBudget?: number;
  /** Cost per missing staff-hour of a requirement (default 3 × the highest hourly cost). */
  underCoveragePenalty?: number;
  /** ISO date of day 0, to date the shifts. */
  startDate?: string;
}

/** One scheduled shift. */
export interface ScheduledShift {
  day: number;
  date?: string;
  start: number;
  end: number;
  hours: number;
}

/** The schedule for one person. */
export interface PersonSchedule {
  staffId: string;
  name?: string;
  shifts: ScheduledShift[];
  hours: number;
  cost: number;
  bindingConstraints: string[];
}

/** Coverage of one role in one hour. */
export interface HourCoverage {
  skill: string;
  day: number;
  hour: number;
  required: number;
  scheduled: number;
  short: number;
}

/** Result of {@link solveStaffing}. Plain JSON. */
export interface StaffingPlan extends SolveReport {
  people: PersonSchedule[];
  coverage: HourCoverage[];
  laborCost: number;
  /** Staff-hours required but not scheduled. */
  underCoverageHours: number;
  underCoveragePenalty: number;
  constraints: ConstraintReport[];
  issues: PlanIssue[];
  infeasibility?: InfeasibilityExplanation;
}

/** Options for {@link solveStaffing}. */
export type StaffingOptions = SolveOptions;
