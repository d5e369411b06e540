/** The line codes a US company takes: a line is taxable or not, the rate is the sale's (error 6100 otherwise). */
export const US_TAXABLE = 'TAX';
export const US_NOT_TAXABLE = 'NON';
