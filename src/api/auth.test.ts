import { openStore } from '../store/open-store.js';
import { authContract } from './auth.contract.js';

authContract('duckdb', () => openStore(':memory:'));
