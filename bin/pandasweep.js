#!/usr/bin/env node
// pandasweep is TypeScript run through tsx, so there is no build step to forget after a `git pull`.
import { register } from 'tsx/esm/api';

register();
await import('../cli/main.ts');
