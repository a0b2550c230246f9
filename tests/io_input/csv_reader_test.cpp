// The CSV reader on files as Swedish case systems export them: BOM, Windows-1252, CRLF, quoted
// separators and line breaks, "sep=" lines, blank rows, broken quoting. Every file is written by
// the test byte for byte.
#include <gtest/gtest.h>

#include <cstdio>
#include <sstream>

#include "jamstat/io/csv_reader.hpp"
#include "jamstat/io/input_errors.hpp"
#include "test_files.hpp"

namespace jamstat::io {
namespace {

using testing::temp_folder;

std::vector<std::vector<std::string>> all_fields(csv_reader& r) {
  std::vector<std::vector<std::string>> rows;
  csv_record rec;
  while (r.next(rec)) {
    std::vector<std::string> row;
    for (const csv_field& f : rec.fields()) row.emplace_back(f.text);
    rows.push_back(std::move(row));
  }
  return rows;
}

std::string from_hex(const std::string& hex) {
  std::string out;
  for (std::size_t i = 0; i + 1 < hex.size(); i += 2) out += static_cast<char>(std::stoi(hex.substr(i, 2), nullptr, 16));
  return out;
}

TEST(CsvReader, QuotedSeparatorsDoubledQuotesAndLineBreaksWithBomAndCrlf) {
  temp_folder dir;
  const auto path = dir.write("a.csv",
                              "\xEF\xBB\xBF" "namn;kommentar;timmar\r\n"
                              "Åsa;\"sa \"\"hej\"\"; sedan\r\ngick hon\";12,5\r\n"
                              "\"Per\";\"\";3\r\n"
                              "Eva;enkel;7");  // no line end at the end
  csv_reader r = csv_reader::open(path);
  EXPECT_EQ(r.separator(), ';');
  EXPECT_EQ(r.decimal_mark(), ',');  // implied by ';'
  EXPECT_EQ(r.encoding(), text_encoding::utf8);
  ASSERT_EQ(r.header(), (std::vector<std::string>{"namn", "kommentar", "timmar"}));
  csv_record rec;
  ASSERT_TRUE(r.next(rec));
  EXPECT_EQ(rec.line(), 2u);
  EXPECT_EQ(rec.lines(), 2u);
  ASSERT_EQ(rec.size(), 3u);
  EXPECT_EQ(rec[0].text, "Åsa");
  EXPECT_EQ(rec[1].text, "sa \"hej\"; sedan\r\ngick hon");
  EXPECT_TRUE(rec[1].quoted);
  EXPECT_EQ(rec[1].column, 2u);
  EXPECT_EQ(rec[2].text, "12,5");
  EXPECT_EQ(rec[2].line, 3u);  // the field starts on the second physical line of the record
  ASSERT_TRUE(r.next(rec));
  EXPECT_EQ(rec.line(), 4u);
  EXPECT_EQ(rec[0].text, "Per");
  EXPECT_EQ(rec[1].text, "");
  EXPECT_TRUE(rec[1].quoted);
  EXPECT_EQ(rec.raw(), "\"Per\";\"\";3");
  ASSERT_TRUE(r.next(rec));
  EXPECT_EQ(rec.line(), 5u);
  EXPECT_EQ(rec[2].text, "7");
  EXPECT_FALSE(r.next(rec));
}

TEST(CsvReader, Windows1252IsDetectedAndConverted) {
  temp_folder dir;
  // "Kön;Namn" / "Män;Åsa" / "Kvinnor;Östen – ’x’" in Windows-1252 bytes.
  const auto path = dir.write("w.csv", "K\xF6n;Namn\nM\xE4n;\xC5sa\nKvinnor;\xD6sten \x96 \x92x\x92\n");
  csv_reader r = csv_reader::open(path);
  EXPECT_EQ(r.header()[0], "Kön");
  const auto rows = all_fields(r);
  EXPECT_EQ(r.encoding(), text_encoding::windows_1252);
  ASSERT_EQ(rows.size(), 2u);
  EXPECT_EQ(rows[0], (std::vector<std::string>{"Män", "Åsa"}));
  EXPECT_EQ(rows[1][1], "Östen \xE2\x80\x93 \xE2\x80\x99x\xE2\x80\x99");
}

TEST(CsvReader, Windows1252TableAgainstPython) {
  // python3 tests/reference/io_input/windows_1252.py
  const std::string expected = from_hex(
      "e282acc281e2809ac692e2809ee280a6e280a0e280a1cb86e280b0c5a0e280b9c592c28dc5bdc28fc290e28098e28099e2809ce2809de280"
      "a2e28093e28094cb9ce284a2c5a1e280bac593c29dc5bec5b8c2a0c2a1c2a2c2a3c2a4c2a5c2a6c2a7c2a8c2a9c2aac2abc2acc2adc2aec2"
      "afc2b0c2b1c2b2c2b3c2b4c2b5c2b6c2b7c2b8c2b9c2bac2bbc2bcc2bdc2bec2bfc380c381c382c383c384c385c386c387c388c389c38ac3"
      "8bc38cc38dc38ec38fc390c391c392c393c394c395c396c397c398c399c39ac39bc39cc39dc39ec39fc3a0c3a1c3a2c3a3c3a4c3a5c3a6c3"
      "a7c3a8c3a9c3aac3abc3acc3adc3aec3afc3b0c3b1c3b2c3b3c3b4c3b5c3b6c3b7c3b8c3b9c3bac3bbc3bcc3bdc3bec3bf");
  std::string bytes = "x\n";
  for (int b = 0x80; b < 0x100; ++b)
    if (b != '"') bytes += static_cast<char>(b);
  bytes += "\n";
  csv_dialect d;
  d.separator = ';';
  d.encoding = text_encoding::windows_1252;
  std::istringstream in(bytes);
  csv_reader r = csv_reader::from_stream(in, "table", d);
  csv_record rec;
  ASSERT_TRUE(r.next(rec));
  EXPECT_EQ(rec[0].text, expected);
}

TEST(CsvReader, Utf8WithoutBomAndAsciiNeedNoDecision) {
  temp_folder dir;
  csv_reader u = csv_reader::open(dir.write("u.csv", "a,b\nMän,Åsa\n"));
  EXPECT_EQ(all_fields(u)[0], (std::vector<std::string>{"Män", "Åsa"}));
  EXPECT_EQ(u.encoding(), text_encoding::utf8);
  csv_reader a = csv_reader::open(dir.write("a.csv", "a,b\n1,2\n"));
  all_fields(a);
  EXPECT_EQ(a.encoding(), text_encoding::automatic);
}

TEST(CsvReader, LateDecisionsAndSequencesCutByBlocks) {
  temp_folder dir;
  csv_reader_options small;
  small.block_bytes = 64;
  // 200 ASCII lines, then a Windows-1252 line: read in blocks of 64 bytes.
  std::string text = "a;b\n";
  for (int i = 0; i < 200; ++i) text += std::to_string(i) + ";x\n";
  csv_reader late = csv_reader::open(dir.write("late.csv", text + "M\xE4n;\xC5sa\n"), {}, small);
  auto rows = all_fields(late);
  EXPECT_EQ(rows.back(), (std::vector<std::string>{"Män", "Åsa"}));
  EXPECT_EQ(late.encoding(), text_encoding::windows_1252);
  // A two-byte UTF-8 "ä" at every offset of a block boundary stays UTF-8.
  for (int pad = 0; pad < 8; ++pad) {
    std::string t = "a;b\n" + std::string(static_cast<std::size_t>(56 + pad), 'x') + ";M\xC3\xA4n\n";
    csv_reader r = csv_reader::open(dir.write("cut" + std::to_string(pad) + ".csv", t), {}, small);
    rows = all_fields(r);
    ASSERT_EQ(rows.size(), 1u);
    EXPECT_EQ(rows[0][1], "Män") << pad;
    EXPECT_EQ(r.encoding(), text_encoding::utf8);
  }
  // A file whose only non-ASCII bytes are a cut-off sequence at its very end: Windows-1252.
  csv_reader cut = csv_reader::open(dir.write("end.csv", "a;b\nx;\xC3"));
  rows = all_fields(cut);
  EXPECT_EQ(rows[0][1], "Ã");
  EXPECT_EQ(cut.encoding(), text_encoding::windows_1252);
}

TEST(CsvReader, LayoutErrors) {
  temp_folder dir;
  EXPECT_THROW(csv_reader::open(dir.write("16.csv", std::string("\xFF\xFE" "a\0;\0b\0", 8))), csv_layout_error);
  csv_dialect latin;
  latin.encoding = text_encoding::windows_1252;
  EXPECT_THROW(csv_reader::open(dir.write("bom.csv", "\xEF\xBB\xBF" "a;b\n"), latin), csv_layout_error);
  EXPECT_THROW(csv_reader::open(dir.write("tie.csv", "a;b,c\n1;2,3\n")), csv_layout_error);
  EXPECT_THROW(csv_reader::open(dir.path() / "no-such-file.csv"), input_file_error);
  EXPECT_THROW(csv_reader::open(dir.path()), input_file_error);
  try {
    csv_reader::open(dir.write("tie2.csv", "a;b,c\n"));
    FAIL();
  } catch (const csv_layout_error& e) {
    EXPECT_NE(std::string(e.what()).find("separator"), std::string::npos);
  }
}

TEST(CsvReader, SeparatorDetectionAndSepLine) {
  temp_folder dir;
  csv_reader tabs = csv_reader::open(dir.write("t.csv", "a\tb\tc\n1\t2\t3\n"));
  EXPECT_EQ(tabs.separator(), '\t');
  EXPECT_EQ(tabs.decimal_mark(), '.');
  csv_reader quoted = csv_reader::open(dir.write("q.csv", "\"a,b\";\"c,d\";e\n1;2;3\n"));
  EXPECT_EQ(quoted.separator(), ';');  // commas inside quotes do not count
  EXPECT_EQ(quoted.header()[0], "a,b");
  csv_reader sep = csv_reader::open(dir.write("s.csv", "sep=|\r\na|b\r\n1|2\r\n"));
  EXPECT_EQ(sep.separator(), '|');
  EXPECT_EQ(sep.header(), (std::vector<std::string>{"a", "b"}));
  csv_record rec;
  ASSERT_TRUE(sep.next(rec));
  EXPECT_EQ(rec.line(), 3u);
  csv_reader one = csv_reader::open(dir.write("one.csv", "alone\nx\n"));
  EXPECT_EQ(one.separator(), ',');
  csv_dialect declared;
  declared.separator = ';';
  declared.decimal_mark = '.';
  csv_reader d = csv_reader::open(dir.write("d.csv", "a,b;c\n"), declared);
  EXPECT_EQ(d.header(), (std::vector<std::string>{"a,b", "c"}));
  EXPECT_EQ(d.decimal_mark(), '.');
}

TEST(CsvReader, BlankLinesAreSkippedAndCounted) {
  temp_folder dir;
  csv_reader r = csv_reader::open(dir.write("b.csv", "\n\na;b;c\n1;2;3\n\n;;\n  ; \t;\r\n4;5;6\n;\"\";\n"));
  csv_record rec;
  ASSERT_TRUE(r.next(rec));
  EXPECT_EQ(rec.line(), 4u);
  ASSERT_TRUE(r.next(rec));
  EXPECT_EQ(rec.line(), 8u);
  EXPECT_EQ(rec[0].text, "4");
  ASSERT_TRUE(r.next(rec));  // a quoted empty field is not blank
  EXPECT_EQ(rec.line(), 9u);
  EXPECT_FALSE(r.next(rec));
  EXPECT_EQ(r.blank_lines(), 3u);
}

TEST(CsvReader, BrokenQuotingIsReportedAndReadingGoesOn) {
  temp_folder dir;
  csv_reader r = csv_reader::open(dir.write("q.csv", "a;b\n\"x\"y;1\n2;3\n\"open;4\n5;6\n"));
  csv_record rec;
  ASSERT_TRUE(r.next(rec));
  EXPECT_EQ(rec.problem(), csv_record_problem::text_after_quote);
  EXPECT_EQ(rec.problem_column(), 1u);
  EXPECT_EQ(rec.size(), 2u);  // the record still ends where it should
  ASSERT_TRUE(r.next(rec));
  EXPECT_EQ(rec.problem(), csv_record_problem::none);
  EXPECT_EQ(rec[0].text, "2");
  ASSERT_TRUE(r.next(rec));
  EXPECT_EQ(rec.problem(), csv_record_problem::unterminated_quote);
  EXPECT_EQ(rec.line(), 4u);
  EXPECT_EQ(rec.raw(), "\"open;4");
  ASSERT_TRUE(r.next(rec));  // the next line is read again as a record
  EXPECT_EQ(rec.line(), 5u);
  EXPECT_EQ(rec[1].text, "6");
  EXPECT_FALSE(r.next(rec));
}

TEST(CsvReader, RecordsLongerThanTheLimit) {
  temp_folder dir;
  csv_reader_options small;
  small.block_bytes = 64;
  small.max_record_bytes = 256;
  const std::string long_line(1000, 'x');
  std::string many;
  for (int i = 0; i < 100; ++i) many += "5;6\n";
  csv_reader r = csv_reader::open(dir.write("l.csv", "a;b\n" + long_line + ";1\n1;2\n\"open;1\n" + many), {}, small);
  csv_record rec;
  ASSERT_TRUE(r.next(rec));
  EXPECT_EQ(rec.problem(), csv_record_problem::too_long);
  EXPECT_GE(rec.raw().size(), 256u);
  ASSERT_TRUE(r.next(rec));
  EXPECT_EQ(rec.line(), 3u);
  EXPECT_EQ(rec[1].text, "2");
  // A quote still open after max_record_bytes: its first line is given up, the rest is read.
  ASSERT_TRUE(r.next(rec));
  EXPECT_EQ(rec.problem(), csv_record_problem::unterminated_quote);
  EXPECT_EQ(rec.line(), 4u);
  EXPECT_EQ(rec.raw(), "\"open;1");
  int rows = 0;
  while (r.next(rec)) {
    EXPECT_EQ(rec.line(), 5u + static_cast<unsigned>(rows));
    EXPECT_EQ(rec[1].text, "6");
    ++rows;
  }
  EXPECT_EQ(rows, 100);
}

TEST(CsvReader, StreamsFilesAndNoHeader) {
  std::istringstream in("1,2\n3,4\n");
  csv_dialect no_header;
  no_header.header = false;
  csv_reader s = csv_reader::from_stream(in, "<test>", no_header);
  EXPECT_TRUE(s.header().empty());
  EXPECT_EQ(s.columns(), 2u);
  const auto rows = all_fields(s);
  ASSERT_EQ(rows.size(), 2u);
  EXPECT_EQ(rows[0], (std::vector<std::string>{"1", "2"}));
  std::FILE* f = std::tmpfile();
  ASSERT_NE(f, nullptr);
  const std::string text = "x;y\n1;2\n";
  std::fwrite(text.data(), 1, text.size(), f);
  std::rewind(f);
  csv_reader r = csv_reader::from_file(f, "<file>");
  EXPECT_EQ(all_fields(r).size(), 1u);
  EXPECT_EQ(r.bytes_read(), text.size());
  std::fclose(f);
}

TEST(CsvReader, EmptyInputs) {
  temp_folder dir;
  csv_reader e = csv_reader::open(dir.write("e.csv", ""));
  EXPECT_TRUE(e.header().empty());
  EXPECT_EQ(e.columns(), 0u);
  EXPECT_TRUE(all_fields(e).empty());
  csv_reader h = csv_reader::open(dir.write("h.csv", "a;b"));
  EXPECT_EQ(h.header().size(), 2u);
  EXPECT_TRUE(all_fields(h).empty());
}

}  // namespace
}  // namespace jamstat::io
