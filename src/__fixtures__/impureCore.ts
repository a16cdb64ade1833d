// Deliberately impure module: src/corePurity.test.ts lints it as if it sat in each core folder and
// expects every line below that breaks a core rule to be reported. Never imported by anything.
import { useState } from 'react';
import { createRoot } from 'react-dom/client';
import { create } from 'zustand';
import { hierarchy } from 'd3-hierarchy';
import * as d3 from 'd3';
import { readFileSync } from 'fs';
import { createServer } from 'node:net';

export const draws = [
  Math.random(),
  Date.now(),
  new Date(),
  performance.now(),
  setTimeout(() => 0, 1),
  setInterval(() => 0, 1),
  window.location,
  document.title,
];
export const used = [useState, createRoot, create, hierarchy, d3, readFileSync, createServer];
