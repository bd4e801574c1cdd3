// Types for harness.mjs, used by the TypeScript e2e tests.
import type { BrowserContext } from 'playwright-core';

export const ROOT: string;
export const CACHE: string;
export const NODE24: string;
export function ensureHarness(options?: { browser?: boolean }): void;
export function makeRunDir(prefix?: string): string;
export function installVsix(runDir: string, vsix: string): void;
export function startCodeServer(
  runDir: string,
  options?: { smoke?: boolean; settings?: Record<string, unknown>; bind?: string; env?: Record<string, string>; log?: (text: string) => void; workspaceTrust?: boolean },
): Promise<{ port: number; url: string; pid: number; stop(): Promise<void> }>;
export function launchBrowser(profileDir: string, options?: { width?: number; height?: number; colorScheme?: 'light' | 'dark' }): Promise<BrowserContext>;
export const NODE24_DIR: string;
export const NODE24_VERSION: string;
export const CODE_SERVER_VERSION: string;
export function ensureNode24(): void;
export function ensureCodeServer(): void;
export function npmCli(env?: NodeJS.ProcessEnv): string;
export function nestedNpmEnv(options?: { env?: NodeJS.ProcessEnv; node?: string; nodedir?: string }): NodeJS.ProcessEnv;
export function npmInstall(
  dir: string,
  spec: string,
  options?: { node?: string; nodedir?: string; env?: NodeJS.ProcessEnv; stdio?: 'inherit' | 'pipe' | 'ignore' },
): unknown;
