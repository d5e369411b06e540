import { openDatabase } from '../../db/database.js';

/** A process that opens (and so migrates) the database at argv[2], then exits: what the API and the worker do on start. */
const opened = await openDatabase({ url: process.argv[2]! });
await opened.close();
