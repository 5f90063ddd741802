// The report as a Word document (DOCX, built in Node with `docx`: the desk may run where no browser is installed,
// so no print-to-PDF). Same blocks as the HTML page, so the same numbers.
import { AlignmentType, Document, HeadingLevel, Packer, Paragraph, Table, TableCell, TableRow, TextRun, WidthType } from 'docx';
import { reportBlocks, type ReportModel } from './report.js';

const FONT = { ascii: 'SimSun', eastAsia: '宋体', hAnsi: 'SimSun' };

const cell = (text: string, bold = false) => new TableCell({
  children: [new Paragraph({ alignment: AlignmentType.CENTER, children: [new TextRun({ text, bold, size: 18, font: FONT })] })],
});

export async function reportDocx(m: ReportModel): Promise<Buffer> {
  const children: Array<Paragraph | Table> = [
    new Paragraph({ heading: HeadingLevel.TITLE, alignment: AlignmentType.CENTER, children: [new TextRun({ text: m.title, bold: true, size: 36, font: FONT })] }),
    new Paragraph({ alignment: AlignmentType.CENTER, children: [new TextRun({ text: `${m.centre} · 统计期 ${m.periodLabel} · 对比期 ${m.previousLabel}`, size: 20, font: FONT })] }),
  ];
  for (const b of reportBlocks(m)) {
    if (b.kind === 'h') children.push(new Paragraph({ heading: HeadingLevel.HEADING_2, children: [new TextRun({ text: b.text, bold: true, size: 28, font: FONT })] }));
    else if (b.kind === 'p') children.push(new Paragraph({ indent: { firstLine: 480 }, children: [new TextRun({ text: b.text, size: 24, font: FONT })] }));
    else {
      children.push(new Table({
        width: { size: 100, type: WidthType.PERCENTAGE },
        rows: [new TableRow({ tableHeader: true, children: b.head.map((h) => cell(h, true)) }), ...b.rows.map((r) => new TableRow({ children: r.map((v) => cell(v)) }))],
      }));
      children.push(new Paragraph({ children: [] }));
    }
  }
  const doc = new Document({ creator: m.centre, title: m.title, sections: [{ children }] });
  return Packer.toBuffer(doc);
}
