export * from './synthetic-books.js';
