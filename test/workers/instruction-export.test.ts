/**
 * The CSV export's cells inside workerd: quoting, formula neutralisation, BOM and accents encoded
 * as UTF-8, Paris dates from Intl (the same module the Node tests stream 10,000 dossiers through).
 */
import { describe, expect, it } from 'vitest';
import { csvCell, csvLine, EXPORT_COLUMNS } from '../../src/features/instruction/export.ts';

describe('CSV export in workerd', () => {
  it('quotes, neutralises formulas and encodes UTF-8 with a BOM', async () => {
    expect(csvCell('=1+1')).toBe("'=1+1");
    expect(csvCell('a;"b"')).toBe('"a;""b"""');
    expect(csvCell(2.5)).toBe('2,5');
    const line = csvLine(['Pôle « Économie »', '@x', null]);
    expect(line).toBe("Pôle « Économie »;'@x;\r\n");
    const stream = new ReadableStream<Uint8Array>({
      start(controller) {
        controller.enqueue(new TextEncoder().encode(`\uFEFF${csvLine(EXPORT_COLUMNS)}`));
        controller.close();
      },
    });
    const bytes = new Uint8Array(await new Response(stream).arrayBuffer());
    expect([...bytes.subarray(0, 3)]).toEqual([0xef, 0xbb, 0xbf]);
    expect(new TextDecoder().decode(bytes)).toContain('Référence;Statut;Vague;Région');
  });
});
