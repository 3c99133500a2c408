export {};
console.log('microstructure: CLI coming');
