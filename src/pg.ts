/**
 * `microstructure/pg`: PostgreSQL / TimescaleDB source and loader (`pg` is an optional peer dependency).
 * Not yet implemented: this entry point reserves the subpath.
 *
 * @packageDocumentation
 */
export {};
