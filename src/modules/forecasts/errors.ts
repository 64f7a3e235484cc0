import { registerErrorCodes } from '../../platform/errors/codes.js';

/** Error codes of the forecasts module (documented in docs/api.md). */
registerErrorCodes({
  forecast_no_history: { status: 422, title: 'The metric has no data to forecast from' },
  forecast_input_invalid: { status: 422, title: 'The history cannot be forecast as asked' },
});
