package dev.latchkey.jdbc;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.ResultSetMetaData;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import javax.sql.DataSource;

/** Every row of every Latchkey table, as sorted strings: two dumps are equal iff the data is. */
final class TableDump {
  static final List<String> TABLES = List.of("latchkey_account", "latchkey_principal", "latchkey_api_key",
      "latchkey_token", "latchkey_change", "latchkey_change_counter", "latchkey_pepper_check",
      "latchkey_audit_event", "latchkey_expiry_notice");

  private TableDump() {}

  static Map<String, List<String>> of(DataSource ds) {
    Map<String, List<String>> dump = new LinkedHashMap<>();
    try (Connection c = ds.getConnection(); Statement s = c.createStatement()) {
      for (String table : TABLES) {
        List<String> rows = new ArrayList<>();
        try (ResultSet rs = s.executeQuery("SELECT * FROM " + table)) {
          ResultSetMetaData md = rs.getMetaData();
          while (rs.next()) {
            StringBuilder row = new StringBuilder();
            for (int i = 1; i <= md.getColumnCount(); i++) {
              row.append(md.getColumnName(i).toLowerCase()).append('=').append(rs.getString(i)).append('|');
            }
            rows.add(row.toString());
          }
        }
        rows.sort(null);
        dump.put(table, rows);
      }
    } catch (SQLException e) {
      throw new IllegalStateException(e);
    }
    return dump;
  }
}
