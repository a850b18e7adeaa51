/**
 * Every schema the worker loads is written with zod's tree-shakable build (`zod/mini`), which
 * leaves out the methods, JSON Schema generation and locales the worker never uses (about
 * 60 KB of its bundle, docs/benchmarks.md). That build loads no messages of its own: this
 * module, imported by each of those schema modules, sets zod's English ones, so an issue
 * that names no expectation of its own reads as it would with full zod.
 */
import { en } from 'zod/locales';
import { config } from 'zod/mini';

config(en());
