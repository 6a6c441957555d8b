// A fresh, real-behaving IndexedDB for every test file (happy-dom has none).
import 'fake-indexeddb/auto';
