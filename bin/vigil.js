#!/usr/bin/env node
'use strict';
// The CLI is TypeScript; tsx compiles it on the fly so that no build step is needed.
require('tsx/cjs');
require('../cli/vigil.ts');
