// Marks the page as JavaScript-capable (no inline script under our CSP) and starts GOV.UK Frontend.
import { initAll } from './govuk-frontend.min.js'
import './session-timeout.mjs'
import './wide-tables.mjs'

document.body.classList.add('js-enabled', 'govuk-frontend-supported')
initAll()
