/**
 * Turns off zod's JIT in the renderer, before any schema is built: zod 4 probes `Function('')`
 * when an object schema is constructed, which the dashboard's CSP (`script-src 'self'`, no
 * 'unsafe-eval') reports as a violation. Jitless parsing is the same parsing, without `eval`.
 * Imported first by main.tsx (ES modules run in import order).
 */
import { z } from 'zod';

z.config({ jitless: true });
