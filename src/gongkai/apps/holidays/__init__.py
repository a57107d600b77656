"""节假日安排: the days of the State Council's yearly holiday notices that staff enter, for the
years chinese-calendar lacks (2027 once its notice is out) and for corrections."""
