import { engineSuite } from './scenarios';

// The shared delivery and journey scenarios (scenarios.ts) in webkit.
engineSuite('webkit');
