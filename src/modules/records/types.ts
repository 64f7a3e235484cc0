/**
 * Canonical record inputs, as every connector (CSV import, Shopify, Stripe, Square,
 * QuickBooks, Xero, the demo generator) produces them. Identity is (source, externalId):
 * writing the same record again updates it in place.
 */

export interface ProductInput {
  externalId: string;
  sku: string;
  name?: string;
  category?: string | null;
  supplier?: string | null;
  unitCost?: number | null;
  unitPrice?: number | null;
  leadTimeDays?: number | null;
  casePack?: number;
  minOrderQty?: number;
  shelfLifeDays?: number | null;
  storageUnits?: number;
  active?: boolean;
}

export interface InventoryInput {
  externalId: string;
  sku: string;
  location?: string;
  time: string; // ISO timestamp (business-local convention, see docs/data-model.md)
  onHand: number;
}

export interface CustomerRef {
  externalId: string;
  name?: string | null;
  email?: string | null;
}

export interface OrderLineInput {
  sku?: string | null;
  productName?: string | null;
  quantity: number;
  unitPrice: number;
  unitCost?: number | null;
  discount?: number;
  tax?: number;
  refundedQuantity?: number;
}

export interface OrderInput {
  externalId: string;
  orderedAt: string;
  customer?: CustomerRef | null;
  channel?: string;
  location?: string;
  status?: 'completed' | 'cancelled' | 'refunded' | 'pending';
  currency?: string | null;
  /** Order-level discount beyond line discounts. */
  discount?: number;
  tax?: number;
  shipping?: number;
  refunded?: number;
  lines: OrderLineInput[];
}

export interface PaymentInput {
  externalId: string;
  kind: 'charge' | 'refund' | 'payout' | 'fee';
  occurredAt: string;
  amount: number;
  currency?: string | null;
  orderExternalId?: string | null;
  status?: 'succeeded' | 'pending' | 'failed';
}

export interface InvoiceInput {
  externalId: string;
  customer?: CustomerRef | null;
  issuedAt: string;
  dueAt?: string | null;
  paidAt?: string | null;
  amount: number;
  currency?: string | null;
  status?: 'draft' | 'open' | 'paid' | 'void';
}

export interface ExpenseInput {
  externalId: string;
  incurredAt: string;
  dueAt?: string | null;
  paidAt?: string | null;
  vendor?: string | null;
  category?: string;
  description?: string | null;
  amount: number;
  currency?: string | null;
}

export interface CashBalanceInput {
  externalId: string;
  account: string;
  time: string;
  balance: number;
}

export interface StaffInput {
  externalId: string;
  name: string;
  skills?: string[];
  hourlyRate: number;
  minHoursPerWeek?: number;
  maxHoursPerWeek?: number;
  /** Weekly availability: { mon: [[8, 16]], … } in local hours. */
  availability?: Record<string, [number, number][]>;
  active?: boolean;
}

export interface ShiftInput {
  externalId: string;
  staffExternalId?: string | null;
  role?: string | null;
  location?: string;
  startsAt: string;
  endsAt: string;
  labourCost: number;
}

export interface MarketingSpendInput {
  externalId: string;
  day: string; // YYYY-MM-DD
  channel: string;
  campaign?: string;
  spend: number;
  impressions?: number | null;
  clicks?: number | null;
  attributedRevenue?: number | null;
}

export interface UpsertCounts {
  inserted: number;
  updated: number;
}
